from django.db import migrations


def update_roles(apps, schema_editor):
    from articles.editorial.workflow import ensure_roles

    ensure_roles(apps)


class Migration(migrations.Migration):
    """Editors and admins may see and remove tag aliases (articles.TagAlias)."""

    dependencies = [
        ("editorial", "0003_autosave"),
        ("articles", "0012_tag_aliases"),
    ]

    operations = [migrations.RunPython(update_roles, migrations.RunPython.noop)]
