from django.db import migrations


def create_roles(apps, schema_editor):
    from articles.editorial.workflow import ensure_roles

    ensure_roles(apps)


class Migration(migrations.Migration):
    """The editorial roles: Reporter, Editor and Admin groups with their permissions.

    The role definitions live in articles/editorial/workflow.py;
    `manage.py setup_roles` applies them again after they change.
    """

    dependencies = [
        ("editorial", "0001_initial"),
        ("articles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
