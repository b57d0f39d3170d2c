"""Editorial: the editors' admin, roles and workflow, revisions, previews, the desk."""
