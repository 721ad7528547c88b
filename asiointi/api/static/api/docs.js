/* Starts Swagger UI on the API's documentation page (asiointi/api/templates/api/docs.html). An external
   file, as the Content-Security-Policy allows no inline script. */
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  if (!root || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  var csrfToken = root.dataset.csrfToken;
  // Busy until Swagger UI has drawn the operations: screen readers wait, and so does the
  // accessibility sweep, for the page as people meet it.
  var main = document.getElementById("main");
  main.setAttribute("aria-busy", "true");
  window.SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    domNode: root,
    // No links inside the operations' expand buttons (nested controls fail WCAG 4.1.2), and no
    // list of models (the schema of each answer is shown with its operation).
    deepLinking: false,
    defaultModelsExpandDepth: -1,
    // No calls to the public validator: nothing leaves the site.
    validatorUrl: null,
    presets: [window.SwaggerUIBundle.presets.apis],
    // The page has its own heading and introduction: Swagger UI's title block (a second h1) goes.
    // Swagger UI's list of operations is the page's main landmark (its own <main id="operations">).
    plugins: [
      function () {
        return {
          wrapComponents: {
            InfoContainer: function () {
              return function () {
                return null;
              };
            },
          },
        };
      },
    ],
    layout: "BaseLayout",
    onComplete: function () {
      window.requestAnimationFrame(function () {
        main.removeAttribute("aria-busy");
      });
    },
    requestInterceptor: function (request) {
      if (csrfToken && !/^(GET|HEAD|OPTIONS)$/i.test(request.method || "GET")) {
        request.headers["X-CSRFToken"] = csrfToken;
      }
      return request;
    },
  });
})();
