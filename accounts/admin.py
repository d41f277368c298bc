"""The user model's admin is the back-office's (``backoffice/accounts_admin.py``): it needs the
institutes and the task queue, which come after this app."""
