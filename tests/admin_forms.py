"""Post an admin change form back as a browser would: what the page shows, plus changes."""


def admin_form_data(response, **changes) -> dict:
    """The values of the admin form rendered in ``response`` (inlines included), updated
    with ``changes``, ready for ``client.post``."""
    data = {}

    def add(form):
        for field in form:
            value = field.value()
            if value is None or hasattr(value, "storage"):  # unset, or a stored file
                continue
            if isinstance(value, bool):
                if value:
                    data[field.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[field.html_name] = [str(item) for item in value]
            else:
                data[field.html_name] = str(value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    data.update(changes)
    return data
