from django.db import migrations


class Migration(migrations.Migration):
    """Reserved for the editorial roles (Reporter, Editor, Admin groups)."""

    dependencies = [("articles", "0002_workflow_and_redirects")]

    operations = []
