"""The framework pages: the whole framework with its guidance, for signed-in users only."""

from django.urls import reverse

from standards.models import Question


def test_it_lists_the_loaded_versions(signed_in, framework):
    response = signed_in.get(reverse("standards:frameworks"))

    assert response.status_code == 200
    assert framework.get_absolute_url().encode() in response.content
    assert b"Download CSV" in response.content


def test_it_shows_every_question_with_its_guidance(
    signed_in, framework, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        response = signed_in.get(framework.get_absolute_url())

    assert response.status_code == 200
    page = response.content.decode()
    for question in Question.objects.filter(framework_version=framework):
        assert f'id="q-{question.code}"' in page
    assert "Only if A3.6 is Yes" in page
    assert "80% and over" in page and "50% to under 65%" in page and "Under 50%" in page
    # Guidance text is escaped like any other text: the seed's quotes come through as entities.
    assert "Inspectors are looking for more than a simple statement" in page
    assert "Statutory Victim Contact cases only" in page


def test_anonymous_visitors_are_sent_to_sign_in(client, framework):
    for url in (reverse("standards:frameworks"), framework.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('login')}?next={url}"


def test_an_unknown_version_is_not_found(signed_in, framework):
    response = signed_in.get(reverse("standards:framework", args=[framework.framework, "0.0"]))

    assert response.status_code == 404


def test_it_rejects_post(signed_in, framework):
    assert signed_in.post(framework.get_absolute_url()).status_code == 405
