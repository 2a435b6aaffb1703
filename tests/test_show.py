"""kg.render.notebook.show(graph, view): a view displayed inline in Jupyter."""

import html


def test_show_returns_an_inline_page_of_the_view():
    import kg
    from kg.render.notebook import show

    shown = show(kg.load(), "alliance")
    page = shown.data
    assert "<iframe" in page and "sandbox=" in page
    inner = html.unescape(page.split('srcdoc="', 1)[1])
    assert "Collective Security Treaty Organization" in inner
