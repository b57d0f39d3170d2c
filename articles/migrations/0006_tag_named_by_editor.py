"""Tags: the `named_by_editor` flag, and hashtags keyed without their mark.

A tag named "#MeToo" before this release is keyed and named "MeToo" now,
unless a tag of that name already exists: then both stay as they are and an
editor merges them in the tag list ("Merge selected tags"), which keeps the
old address working.
"""

from django.db import migrations, models

# As articles.models.tags has them at this migration; copied, since a
# migration must not change when that module does.
HASHTAG_MARKS = "#\uff03"


def drop_hashtag_marks(apps, schema_editor):
    Tag = apps.get_model("articles", "Tag")
    hashtags = Tag.objects.filter(key__startswith="#") | Tag.objects.filter(
        name__startswith="\uff03"
    )
    for tag in hashtags:
        key = tag.key.lstrip(HASHTAG_MARKS).lstrip()
        name = tag.name.lstrip(HASHTAG_MARKS).lstrip()
        if key and name and not Tag.objects.filter(key=key).exists():
            Tag.objects.filter(pk=tag.pk).update(key=key, name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_published_date_only"),
    ]

    operations = [
        migrations.AddField(
            model_name="tag",
            name="named_by_editor",
            field=models.BooleanField(
                default=False,
                editable=False,
                help_text="An editor chose this name: imports never respell it.",
            ),
        ),
        migrations.RunPython(drop_hashtag_marks, migrations.RunPython.noop),
    ]
