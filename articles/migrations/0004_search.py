from django.db import migrations


class Migration(migrations.Migration):
    """Reserved for the PostgreSQL full-text search vector and its index."""

    dependencies = [("articles", "0003_editorial_roles")]

    operations = []
