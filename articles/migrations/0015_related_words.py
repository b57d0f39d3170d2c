"""Related links: the words of live headlines and decks (`RelatedWord`).

The table starts empty; an existing archive fills it with `manage.py
refresh_related` (set-based, outside `migrate`: half a minute at 100,000
articles that a deploy need not wait for, docs/deploy.md). Until then,
stories with thin tags find fewer related stories by their words on
PostgreSQL.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0014_tag_rename_deferred'),
    ]

    operations = [
        migrations.CreateModel(
            name='RelatedWord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('word', models.CharField(max_length=40)),
                ('published_at', models.DateTimeField()),
                ('article', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='articles.article')),
            ],
            options={
                'indexes': [models.Index(fields=['word', 'published_at', 'article'], name='related_word_idx')],
            },
        ),
    ]
