"""Browser helpers for the accessibility tests that axe-core cannot do: keyboard, reflow and zoom,
form errors, motion, forced colours and languages.

Chromium is launched as the sweep launches it (:func:`a11y.sweep.launch`: Debian's Chromium, never
Playwright's own download). Each helper reads what a person would notice in the page that is open
in a tab: where the keyboard focus goes and whether it can be seen, whether the page needs
sideways scrolling, whether enlarged text is cut off or drawn over other text, which fields are
marked invalid and what describes them. The tests assert on what these helpers return, so a test
reads as what it checks.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from playwright.sync_api import Browser, BrowserContext, sync_playwright
from playwright.sync_api import Page as Tab

from . import sweep

#: A phone held upright: WCAG 1.4.10 Reflow asks for no sideways scrolling at 320 CSS pixels.
NARROW = {"width": 320, "height": 640}
DESKTOP = {"width": 1280, "height": 800}
#: A focus indicator needs this contrast against what is next to it (WCAG 1.4.11)...
FOCUS_CONTRAST = 3.0
#: ...and at least this thickness in CSS pixels (the thickness of WCAG 2.4.13).
FOCUS_WIDTH = 2.0


@contextmanager
def chromium() -> Iterator[Browser]:
    """Debian's Chromium, headless, as the sweep starts it."""
    with sync_playwright() as playwright:
        browser = sweep.launch(playwright)
        try:
            yield browser
        finally:
            browser.close()


def new_context(browser: Browser, *, viewport: dict[str, int] | None = None) -> BrowserContext:
    context = browser.new_context(viewport=viewport or DESKTOP)  # type: ignore[arg-type]
    context.set_default_timeout(sweep.NAVIGATION_TIMEOUT_MS)
    return context


def open_page(tab: Tab, url: str) -> int:
    """Open ``url`` and return its status, once the page has drawn what it draws by script: a part
    marked ``aria-busy="true"`` (e.g. the API documentation while Swagger UI draws) is waited for."""
    response = tab.goto(url, wait_until="load")
    tab.wait_for_function(sweep.SETTLED)
    return response.status if response else 0


# Keyboard ----------------------------------------------------------------------------------------

_MARK_TABBABLE = """
() => {
  const selector = 'a[href], area[href], button, input, select, textarea, summary, iframe, ' +
    '[tabindex], [contenteditable=""], [contenteditable="true"]';
  const rendered = (el) => {
    if (!el.getClientRects().length) return false;
    const style = getComputedStyle(el);
    return style.visibility !== 'hidden' && style.display !== 'none';
  };
  // A group of radio buttons is one stop of the Tab key: its checked button, or its first when
  // none is checked (the arrow keys move within the group).
  const radioStop = (el) => {
    if (el.tagName !== 'INPUT' || el.type !== 'radio' || !el.name) return true;
    const scope = el.form || document;
    const group = Array.from(scope.querySelectorAll('input[type=radio]'))
      .filter((r) => r.name === el.name && !r.disabled && rendered(r));
    const checked = group.find((r) => r.checked);
    return el === (checked || group[0]);
  };
  const found = [];
  document.querySelectorAll('[data-a11y-stop]').forEach((el) => el.removeAttribute('data-a11y-stop'));
  for (const el of document.querySelectorAll(selector)) {
    if (el.disabled || el.tabIndex < 0 || el.closest('[inert]')) continue;
    if (el.tagName === 'INPUT' && el.type === 'hidden') continue;
    if (!rendered(el) || !radioStop(el)) continue;
    el.setAttribute('data-a11y-stop', String(found.length));
    found.push(el);
  }
  return found.length;
}
"""

# The state of the focused element (or of element ``index`` when given): where it is, what it is
# called, and how its focus indicator is drawn. The indicator can be the element's outline or
# box-shadow, or that of the label (or its ::before) of a visually replaced checkbox or radio.
_DESCRIBE = """
(index) => {
  const el = index === null ? document.activeElement
                            : document.querySelector(`[data-a11y-stop="${index}"]`);
  if (!el || el === document.body || el === document.documentElement) return null;
  // The focus style as it ends, not half-way through its transition.
  document.getAnimations().forEach((animation) => animation.finish());
  const box = el.getBoundingClientRect();
  const svg = el.closest('svg');
  const group = svg ? svg.getBoundingClientRect() : box;
  const paint = (style) => ({
    outlineStyle: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth) || 0,
    outlineColor: style.outlineColor, boxShadow: style.boxShadow,
  });
  const background = (start) => {
    for (let node = start; node && node.nodeType === 1; node = node.parentElement) {
      const color = getComputedStyle(node).backgroundColor;
      const alpha = color.startsWith('rgba') ? parseFloat(color.split(',')[3]) : 1;
      if (alpha > 0.5) return color;
    }
    return 'rgb(255, 255, 255)';
  };
  const layers = [paint(getComputedStyle(el))];
  for (const label of (el.labels || [])) {
    layers.push(paint(getComputedStyle(label)), paint(getComputedStyle(label, '::before')));
  }
  if (svg) for (const shape of el.querySelectorAll('circle, path, rect')) {
    const style = getComputedStyle(shape);
    layers.push({stroke: style.stroke, strokeWidth: parseFloat(style.strokeWidth) || 0, fill: style.fill});
  }
  const name = (el.getAttribute('aria-label') || el.innerText || el.value || el.id || '').trim();
  return {
    index: el.hasAttribute('data-a11y-stop') ? Number(el.getAttribute('data-a11y-stop')) : -1,
    tag: el.tagName.toLowerCase(), id: el.id, name: name.slice(0, 60),
    top: box.top + scrollY, left: box.left + scrollX, bottom: box.bottom + scrollY,
    right: box.right + scrollX,
    groupTop: group.top + scrollY, groupLeft: group.left + scrollX,
    groupBottom: group.bottom + scrollY, groupRight: group.right + scrollX,
    inSvg: Boolean(svg), layers, background: background(el.parentElement || el),
  };
}
"""


# Back to the state of a page opened without autofocus: nothing focused, and the next Tab starting
# from the top of the document (focusing the body moves the starting point of sequential navigation).
_TO_THE_TOP = """
() => {
  document.body.setAttribute('tabindex', '-1');
  document.body.focus();
  document.body.removeAttribute('tabindex');
  window.scrollTo(0, 0);
}
"""


@dataclass(frozen=True)
class Stop:
    """One focusable control as the keyboard meets it."""

    index: int
    tag: str
    id: str
    name: str
    top: float
    left: float
    bottom: float
    right: float
    #: The box of the group the control is read in: the map for a marker on the map, else its own.
    group: tuple[float, float, float, float]
    in_svg: bool
    layers: tuple[dict[str, Any], ...]
    background: str

    @classmethod
    def from_js(cls, data: dict[str, Any]) -> Stop:
        return cls(
            index=data["index"],
            tag=data["tag"],
            id=data["id"],
            name=data["name"],
            top=data["top"],
            left=data["left"],
            bottom=data["bottom"],
            right=data["right"],
            group=(data["groupTop"], data["groupLeft"], data["groupBottom"], data["groupRight"]),
            in_svg=data["inSvg"],
            layers=tuple(data["layers"]),
            background=data["background"],
        )

    def __str__(self) -> str:
        return f"<{self.tag}{'#' + self.id if self.id else ''}> {self.name!r}"


def tabbable(tab: Tab) -> list[Stop]:
    """Every control that Tab should reach, in the order of the document, as each looks unfocused."""
    tab.evaluate(_TO_THE_TOP)
    count: int = tab.evaluate(_MARK_TABBABLE)
    return [Stop.from_js(tab.evaluate(_DESCRIBE, index)) for index in range(count)]


def focused(tab: Tab) -> Stop | None:
    """The focused control, or None when the focus is on the page itself (or has left it)."""
    data = tab.evaluate(_DESCRIBE, None)
    return Stop.from_js(data) if data else None


@dataclass(frozen=True)
class TabWalk:
    """What pressing Tab from the top of a page did: the controls it focused, in order, whether the
    focus then left the page, and where the next Tab took it."""

    stops: list[Stop]
    left_the_page: bool
    after_leaving: Stop | None


def tab_through(tab: Tab, *, limit: int) -> TabWalk:
    """Press Tab from the top of the page until the focus leaves the page (or ``limit`` presses),
    then once more. Call :func:`tabbable` first so that the stops are numbered."""
    tab.evaluate(_TO_THE_TOP)
    stops: list[Stop] = []
    for _press in range(limit):
        tab.keyboard.press("Tab")
        stop = focused(tab)
        if stop is None:
            tab.keyboard.press("Tab")
            return TabWalk(stops, True, focused(tab))
        if stops and stop.index == 0:
            # Headless Chromium at times goes round to the first control without showing the
            # focus outside the page in between.
            return TabWalk(stops, True, stop)
        stops.append(stop)
    return TabWalk(stops, False, None)


def out_of_order(stops: Sequence[Stop], tolerance: float = 4.0) -> list[tuple[Stop, Stop]]:
    """Pairs of consecutive stops where the focus jumps against the reading order: up the page
    without moving to a column on the right, or leftwards within one row. The markers of a map are
    one group: the map is read as one place in the order."""
    jumps: list[tuple[Stop, Stop]] = []
    previous: Stop | None = None
    for stop in stops:
        if previous is not None and not (previous.in_svg and stop.in_svg):
            a_top, a_left, a_bottom, a_right = previous.group
            b_top, b_left, b_bottom, _b_right = stop.group
            same_row = b_top < a_bottom - tolerance and a_top < b_bottom - tolerance
            if same_row:
                ok = b_left >= a_left - tolerance or b_top >= a_bottom - tolerance
            elif b_top >= a_bottom - tolerance or b_top >= a_top:
                ok = True  # further down the page
            else:
                ok = b_left >= a_right - tolerance  # up, but into the next column
            if not ok:
                jumps.append((previous, stop))
        previous = stop
    return jumps


_RGB = re.compile(r"rgba?\(([^)]*)\)")


def parse_colour(text: str) -> tuple[float, float, float, float] | None:
    match = _RGB.search(text or "")
    if not match:
        return None
    parts = [float(p) for p in re.split(r"[,\s/]+", match.group(1).strip()) if p]
    red, green, blue = parts[:3]
    alpha = parts[3] if len(parts) > 3 else 1.0
    return red, green, blue, alpha


def _luminance(rgb: tuple[float, float, float]) -> float:
    def channel(value: float) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(foreground: str, background: str) -> float:
    """The WCAG contrast ratio of two CSS colours, the first blended over the second."""
    fg = parse_colour(foreground)
    bg = parse_colour(background) or (255.0, 255.0, 255.0, 1.0)
    if fg is None:
        return 1.0
    alpha = fg[3]
    blended = tuple(alpha * f + (1 - alpha) * b for f, b in zip(fg[:3], bg[:3], strict=True))
    lighter, darker = sorted((_luminance(blended), _luminance(bg[:3])), reverse=True)  # type: ignore[arg-type]
    return (lighter + 0.05) / (darker + 0.05)


@dataclass(frozen=True)
class Indicator:
    """How the focus of a control is drawn: ``kind`` is "outline", "box-shadow" or "stroke"."""

    kind: str
    width: float
    colour: str
    contrast: float

    @property
    def clear(self) -> bool:
        return self.width >= FOCUS_WIDTH and self.contrast >= FOCUS_CONTRAST


def _shadow_width(shadow: str) -> tuple[float, str]:
    """The spread of the widest solid ring in a computed box-shadow, and its colour."""
    best = (0.0, "")
    for ring in re.split(r",(?![^(]*\))", shadow):
        colour = _RGB.search(ring)
        lengths = [float(n) for n in re.findall(r"(-?[\d.]+)px", _RGB.sub("", ring))]
        if colour and len(lengths) >= 4 and "inset" not in ring:
            spread = lengths[3] + max(abs(lengths[0]), abs(lengths[1]))
            best = max(best, (spread, colour.group(0)))
    return best


def focus_indicator(unfocused: Stop, focused_: Stop) -> Indicator | None:
    """The strongest visible change between a control's unfocused and focused state, or None if
    focusing it changes nothing that can be seen."""
    found: list[Indicator] = []
    for before, after in zip(unfocused.layers, focused_.layers, strict=False):
        if after == before:
            continue
        if "outlineStyle" in after and after["outlineStyle"] != "none" and after["outlineWidth"] > 0:
            colour = after["outlineColor"]
            found.append(
                Indicator("outline", after["outlineWidth"], colour, contrast(colour, focused_.background))
            )
        if "boxShadow" in after and after["boxShadow"] not in ("none", before.get("boxShadow")):
            width, colour = _shadow_width(after["boxShadow"])
            if width > 0:
                found.append(Indicator("box-shadow", width, colour, contrast(colour, focused_.background)))
        if "stroke" in after and after["stroke"] != before.get("stroke"):
            found.append(
                Indicator(
                    "stroke", after["strokeWidth"], after["stroke"], contrast(after["stroke"], after["fill"])
                )
            )
    if not found:
        return None
    return max(found, key=lambda i: (i.clear, i.width * min(i.contrast, FOCUS_CONTRAST)))


# Dialogs -----------------------------------------------------------------------------------------

_DIALOGS = """
() => Array.from(document.querySelectorAll('dialog, [role="dialog"], [role="alertdialog"]'))
  .map((el) => el.id || el.getAttribute('aria-label') || el.tagName.toLowerCase())
"""


def dialogs(tab: Tab) -> list[str]:
    """The dialogs in the page (open or not), named by id or label."""
    return list(tab.evaluate(_DIALOGS))


@dataclass(frozen=True)
class DialogRoundTrip:
    opened: bool
    focus_inside: bool
    closed: bool
    focus_returned: bool

    @property
    def ok(self) -> bool:
        return self.opened and self.focus_inside and self.closed and self.focus_returned


def dialog_round_trip(tab: Tab, opener: str) -> DialogRoundTrip:
    """Open a dialog with the keyboard from the control ``opener`` (a selector), and close it with
    Escape: the focus must move into the dialog and come back to the opener."""
    tab.focus(opener)
    tab.keyboard.press("Enter")
    open_dialog = "() => document.querySelector('dialog[open], [role=dialog]:not([hidden]), [role=alertdialog]:not([hidden])')"
    opened = bool(tab.evaluate(f"() => Boolean(({open_dialog})())"))
    inside = bool(
        tab.evaluate(
            f"() => {{ const d = ({open_dialog})(); return Boolean(d && d.contains(document.activeElement)); }}"
        )
    )
    tab.keyboard.press("Escape")
    closed = not tab.evaluate(f"() => Boolean(({open_dialog})())")
    returned = bool(
        tab.evaluate("(selector) => document.activeElement === document.querySelector(selector)", opener)
    )
    return DialogRoundTrip(opened, inside, closed, returned)


# Reflow and zoom ---------------------------------------------------------------------------------

_SIDEWAYS = """
() => {
  const root = document.scrollingElement;
  const width = root.clientWidth;
  const scrolls = (el) => {
    for (let node = el.parentElement; node; node = node.parentElement) {
      const overflow = getComputedStyle(node).overflowX;
      if (overflow === 'auto' || overflow === 'scroll') return true;
    }
    return false;
  };
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.right > width + 1 && box.width > 0 && !scrolls(el) && !el.closest('svg, .skip-link')) {
      wide.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : ''} right=${Math.round(box.right)}`);
    }
  }
  return {scrollWidth: root.scrollWidth, clientWidth: width, wide: wide.slice(0, 10)};
}
"""


@dataclass(frozen=True)
class Sideways:
    scroll_width: int
    client_width: int
    #: Elements that reach past the right edge, outside any scrolling region of their own.
    wide: list[str]

    @property
    def scrolls(self) -> bool:
        return self.scroll_width > self.client_width


def sideways_scrolling(tab: Tab) -> Sideways:
    data = tab.evaluate(_SIDEWAYS)
    return Sideways(data["scrollWidth"], data["clientWidth"], data["wide"])


def box_of(tab: Tab, selector: str) -> dict[str, float]:
    """The box of the first element that matches ``selector``, in CSS pixels of the viewport."""
    return dict(
        tab.evaluate(
            "(s) => { const b = document.querySelector(s).getBoundingClientRect();"
            " return {left: b.left, right: b.right, top: b.top, bottom: b.bottom, width: b.width}; }",
            selector,
        )
    )


def zoom_text(tab: Tab, percent: int = 200) -> None:
    """Enlarge the text as a browser's text size setting does: the root font size (rem and em
    follow it, pixel sizes do not). Set through the CSS object model, which the page's
    Content-Security-Policy allows."""
    tab.evaluate("(p) => { document.documentElement.style.fontSize = `${p}%`; }", percent)


_CLIPPED = """
() => {
  const clipped = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('svg, .skip-link')) continue;
    const style = getComputedStyle(el);
    const hides = (v) => v === 'hidden' || v === 'clip';
    if (!hides(style.overflowX) && !hides(style.overflowY)) continue;
    if (el.clientWidth <= 1 || el.clientHeight <= 1) continue;  // visually hidden on purpose
    if (!(el.innerText || '').trim()) continue;
    const wide = hides(style.overflowX) && el.scrollWidth > el.clientWidth + 1;
    const tall = hides(style.overflowY) && el.scrollHeight > el.clientHeight + 1;
    if (wide || tall) clipped.push(`${el.tagName.toLowerCase()}.${String(el.className).trim()} ` +
      `${el.scrollWidth}x${el.scrollHeight} in ${el.clientWidth}x${el.clientHeight}`);
  }
  for (const el of document.querySelectorAll('input:not([type=hidden]):not([type=checkbox]):not([type=radio]), select')) {
    const style = getComputedStyle(el);
    const line = parseFloat(style.fontSize) * 1.15;
    const inner = el.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
    // A field hidden on purpose (1 px, clipped) behind a widget that shows it, as Select2 does.
    if (el.offsetWidth <= 1 || el.offsetHeight <= 1) continue;
    if (el.getClientRects().length && inner + 1 < line) {
      clipped.push(`${el.tagName.toLowerCase()}#${el.id} text ${Math.round(line)}px high in ${Math.round(inner)}px`);
    }
  }
  return clipped;
}
"""


def clipped_text(tab: Tab) -> list[str]:
    """Elements that cut their text off: overflow hidden (or clip) with more content than room, and
    text fields too low for the line of text they hold."""
    return list(tab.evaluate(_CLIPPED))


_OVERLAPS = """
() => {
  const boxes = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!node.data.trim() || !parent || parent.closest('svg, script, style, .skip-link, [hidden]')) continue;
    const style = getComputedStyle(parent);
    if (style.visibility === 'hidden' || parent.clientWidth === 1) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const r of range.getClientRects()) {
      if (r.width > 1 && r.height > 1) boxes.push({node: boxes.length, text: node.data.trim().slice(0, 30),
        owner: node, left: r.left, right: r.right, top: r.top, bottom: r.bottom});
    }
  }
  const overlaps = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i], b = boxes[j];
      if (a.owner === b.owner) continue;
      const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      const smaller = Math.min(a.bottom - a.top, b.bottom - b.top);
      if (w > 2 && h > smaller * 0.3) overlaps.push(`${JSON.stringify(a.text)} over ${JSON.stringify(b.text)}`);
      if (overlaps.length >= 10) return overlaps;
    }
  }
  return overlaps;
}
"""


def overlapping_text(tab: Tab) -> list[str]:
    """Pairs of texts drawn over each other."""
    return list(tab.evaluate(_OVERLAPS))


# Forms -------------------------------------------------------------------------------------------

_INVALID = """
() => Array.from(document.querySelectorAll('[aria-invalid="true"]')).map((el) => {
  const ids = (el.getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean);
  return {
    id: el.id,
    describedBy: ids,
    descriptions: ids.map((id) => { const d = document.getElementById(id); return d ? d.textContent.trim() : null; }),
  };
})
"""


@dataclass(frozen=True)
class InvalidField:
    id: str
    described_by: list[str]
    #: The text of each element that ``aria-describedby`` names (None for a missing element).
    descriptions: list[str | None]


def invalid_fields(tab: Tab) -> list[InvalidField]:
    """The fields marked ``aria-invalid="true"`` with the texts that describe them."""
    return [InvalidField(f["id"], f["describedBy"], f["descriptions"]) for f in tab.evaluate(_INVALID)]


def error_texts(tab: Tab) -> dict[str, str]:
    """The shown error message of each field, by the field's id (the HDS error text beside it, or the
    error list of a field of the administration)."""
    return dict(
        tab.evaluate(
            "() => Object.fromEntries(Array.from(document.querySelectorAll("
            "'.hds-text-input__error-text, .hds-checkbox__error-text, .errorlist[id$=_error]')).map("
            "(e) => [e.id.replace(/_error$/, ''), e.textContent.trim()]))"
        )
    )


def focus_is_on_field(tab: Tab, field_id: str) -> bool:
    """Whether the focus is on the field, or on the combobox that an autocomplete field of the
    administration shows in place of its hidden select."""
    return bool(
        tab.evaluate(
            """(id) => {
                const active = document.activeElement, field = document.getElementById(id);
                if (!active || !field) return false;
                if (active === field) return true;
                const wrapper = field.closest('.related-widget-wrapper');
                return field.classList.contains('select2-hidden-accessible') && Boolean(wrapper)
                    && wrapper.contains(active) && active.getAttribute('role') === 'combobox';
            }""",
            field_id,
        )
    )


def focused_id(tab: Tab) -> str:
    return str(tab.evaluate("() => document.activeElement ? document.activeElement.id : ''"))


def links_in(tab: Tab, selector: str) -> list[str]:
    """The fragment (``#id``) of every link inside ``selector``."""
    return list(
        tab.evaluate(
            "(s) => Array.from(document.querySelectorAll(`${s} a[href^='#']`)).map((a) => a.getAttribute('href'))",
            selector,
        )
    )


def announced_texts(tab: Tab) -> list[str]:
    """The texts of live regions (role=status or alert, aria-live), which screen readers announce."""
    return list(
        tab.evaluate(
            "() => Array.from(document.querySelectorAll('[role=status], [role=alert], [aria-live]'))"
            ".map((e) => e.textContent.replace(/\\s+/g, ' ').trim()).filter(Boolean)"
        )
    )


# Motion and forced colours -----------------------------------------------------------------------

_MOVING = """
() => {
  const seconds = (value) => Math.max(0, ...value.split(',').map((v) => {
    v = v.trim(); return v.endsWith('ms') ? parseFloat(v) / 1000 : parseFloat(v) || 0;
  }));
  const moving = [];
  for (const el of document.querySelectorAll('*')) {
    for (const pseudo of [null, '::before', '::after']) {
      const style = getComputedStyle(el, pseudo);
      const transition = seconds(style.transitionDuration);
      const animation = style.animationName !== 'none' ? seconds(style.animationDuration) : 0;
      const longest = Math.max(transition, animation);
      if (longest > 0.01) moving.push(`${el.tagName.toLowerCase()}.${String(el.className).trim()}${pseudo || ''} ${longest}s`);
    }
  }
  const scroll = getComputedStyle(document.documentElement).scrollBehavior;
  if (scroll !== 'auto') moving.push(`html scroll-behavior: ${scroll}`);
  return moving;
}
"""


def moving_elements(tab: Tab) -> list[str]:
    """Elements with a transition or animation longer than 10 ms, and smooth scrolling."""
    return list(tab.evaluate(_MOVING))


def paint_of(tab: Tab, selector: str) -> dict[str, str]:
    """The computed fill, stroke and stroke width of the first element matching ``selector``."""
    return dict(
        tab.evaluate(
            "(s) => { const st = getComputedStyle(document.querySelector(s));"
            " return {fill: st.fill, stroke: st.stroke, strokeWidth: st.strokeWidth,"
            " forcedColorAdjust: st.forcedColorAdjust}; }",
            selector,
        )
    )


def visible_paint(value: str) -> bool:
    """Whether a computed fill or stroke draws something."""
    colour = parse_colour(value)
    return value not in ("none", "") and (colour is None or colour[3] > 0)


def distinct(first: str, second: str, ratio: float = 1.5) -> bool:
    """Whether two colours can be told apart (a contrast of at least ``ratio``)."""
    return contrast(first, second) >= ratio


# Languages ---------------------------------------------------------------------------------------


def alternates(tab: Tab) -> dict[str, str]:
    """The ``<link rel="alternate" hreflang>`` of the page, by language."""
    return dict(
        tab.evaluate(
            "() => Object.fromEntries(Array.from(document.querySelectorAll('link[rel=alternate][hreflang]'))"
            ".map((l) => [l.getAttribute('hreflang'), l.getAttribute('href')]))"
        )
    )


def page_language(tab: Tab) -> str:
    return str(tab.evaluate("() => document.documentElement.lang"))


def heading(tab: Tab) -> str:
    return str(tab.inner_text("h1")).strip()
