from django.urls import reverse

from tests.factories import TEST_PASSWORD


def post_password_change(client, new_password: str, **extra):
    """Submit the password change page with the factories' password as the old one."""
    return client.post(
        reverse("accounts:password_change"),
        {
            "old_password": TEST_PASSWORD,
            "new_password1": new_password,
            "new_password2": new_password,
        },
        **extra,
    )
