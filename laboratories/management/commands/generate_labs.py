from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from laboratories.generation import generate_labs
from laboratories.models import Lab


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
        # Fresh statistics, so that the planner knows the tables' new sizes at once.
        tables = [Lab._meta.db_table]
        tables += [
            Lab._meta.get_field(name).remote_field.through._meta.db_table
            for name in ("countries", "themes", "partners", "other_institutes")
        ]
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
        self.stdout.write(
            f"{result.labs} entries added in {result.seconds:.1f} s "
            f"({result.countries} countries, {result.industry_labs} with a company partner)."
        )
