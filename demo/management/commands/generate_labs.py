from django.core.management.base import BaseCommand, CommandError

from demo.generation import generate_labs


class Command(BaseCommand):
    help = (
        "Add N synthetic international structures (both languages, spread over countries, "
        "instruments, institutes, themes and partners), the same ones for the same seed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True, help="how many entries to add")
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")

    def handle(self, *args, count, seed, **options):
        if count < 0:
            raise CommandError("--count must be zero or more.")
        result = generate_labs(count=count, seed=seed)
        self.stdout.write(
            f"{result.labs} entries added in {result.seconds:.1f} s "
            f"({result.countries} countries, {result.industry_labs} with a company partner)."
        )
