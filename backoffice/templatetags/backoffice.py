from django import template

from backoffice.dashboard import dashboard_for

register = template.Library()


@register.simple_tag(takes_context=True)
def backoffice_dashboard(context):
    """The admin home's counts for the signed-in user (see ``backoffice.dashboard``)."""
    request = context.get("request")
    if request is None:
        return None
    return dashboard_for(request)
