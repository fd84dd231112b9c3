import os

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from docs_app.models import Document


class Command(BaseCommand):
    help = "Create the demo login (an admin) and a welcome document unless they exist."

    def add_arguments(self, parser):
        parser.add_argument("--username", default=os.environ.get("DEMO_USERNAME", "demo"))
        parser.add_argument("--password", default=os.environ.get("DEMO_PASSWORD", "cowrite-demo"))

    def handle(self, *args, username: str, password: str, **options):
        user_model = get_user_model()
        user = user_model.objects.filter(username=username).first()
        if user is None:
            user = user_model.objects.create_superuser(username=username, password=password)
            Document.objects.create(owner=user, title="Welcome to Cowrite")
            self.stdout.write("Created the demo user.")
        if user.check_password(password):
            self.stdout.write(f"Demo login: username {username!r}, password {password!r}")
        else:
            self.stdout.write(f"Demo user {username!r} exists; its password was changed.")
