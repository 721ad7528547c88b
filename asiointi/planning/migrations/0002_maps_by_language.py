import django.db.models.deletion
from django.db import migrations, models


def maps_to_rows(apps, schema_editor):
    """The maps drawn before this migration have English words: keep them as the English maps."""
    Scenario = apps.get_model("planning", "Scenario")
    ScenarioMap = apps.get_model("planning", "ScenarioMap")
    for scenario in Scenario.objects.exclude(map_html="").only("pk", "map_png", "map_html"):
        ScenarioMap.objects.get_or_create(
            scenario=scenario,
            language="en",
            defaults={"png": bytes(scenario.map_png or b""), "html": scenario.map_html},
        )


class Migration(migrations.Migration):

    dependencies = [
        ('planning', '0001_scenarios'),
    ]

    operations = [
        migrations.CreateModel(
            name='ScenarioMap',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('language', models.CharField(max_length=8, verbose_name='language')),
                ('png', models.BinaryField(verbose_name='map (PNG)')),
                ('html', models.TextField(verbose_name='interactive map (HTML)')),
                ('scenario', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='maps', to='planning.scenario', verbose_name='scenario')),
            ],
            options={
                'verbose_name': 'scenario map',
                'verbose_name_plural': 'scenario maps',
                'constraints': [models.UniqueConstraint(fields=('scenario', 'language'), name='planning_one_map_per_language')],
            },
        ),
        migrations.RunPython(maps_to_rows, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='scenario',
            name='map_html',
        ),
        migrations.RemoveField(
            model_name='scenario',
            name='map_png',
        ),
    ]
