"""Read an admin form from the page as a browser would, to post it back (pretix style)."""

from html.parser import HTMLParser

SKIPPED_INPUTS = {"submit", "button", "image", "reset", "file"}


class _FormReader(HTMLParser):
    def __init__(self, matches):
        super().__init__(convert_charrefs=True)
        self.matches = matches
        self.inside = False
        self.found = False
        self.data = {}
        self.select = None
        self.select_multiple = False
        self.select_options = []
        self.textarea = None
        self.text = []

    def add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and not self.found and self.matches(attrs):
            self.inside = self.found = True
            return
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text").lower()
            if kind in SKIPPED_INPUTS:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self.add(name, attrs.get("value") or "on")
                return
            self.add(name, attrs.get("value") or "")
        elif tag == "select" and name:
            self.select = name
            self.select_multiple = "multiple" in attrs
            self.select_options = []
            self.data.setdefault(name, [])
        elif tag == "option" and self.select is not None:
            self.select_options.append((attrs.get("value", ""), "selected" in attrs))
        elif tag == "textarea" and name:
            self.textarea = name
            self.text = []

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "select" and self.select is not None:
            chosen = [value for value, selected in self.select_options if selected]
            if not chosen and not self.select_multiple and self.select_options:
                chosen = [self.select_options[0][0]]  # what a browser sends
            self.data[self.select].extend(chosen)
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            text = "".join(self.text)
            self.add(self.textarea, text[1:] if text.startswith("\n") else text)
            self.textarea = None

    def handle_data(self, data):
        if self.textarea is not None:
            self.text.append(data)


def read_form(response, form_id=None, **attributes):
    """``{name: [values]}`` of a form of ``response``, as a browser sends it.

    The form is the one with id ``form_id``, or the first whose attributes include
    ``attributes`` (``enctype="multipart/form-data"``, ``action=...``).
    """
    if form_id is not None:
        attributes["id"] = form_id

    def matches(attrs):
        return all(attrs.get(name) == value for name, value in attributes.items())

    reader = _FormReader(matches)
    reader.feed(response.content.decode())
    assert reader.found, f"no form with {attributes!r} on the page"
    return {name: values for name, values in reader.data.items() if values}


def change_form(client, url, model_name):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return read_form(response, f"{model_name}_form")
