"""Agreements and pledges belong to a place: every one so far to Cheltenham, the first.

A version number is unique within its place, and one version is current in each place that
has any (the partial unique constraint, and 0004's deferred trigger rewritten per place). A
pledge keeps its agreement's place beside the agreement, and a composite foreign key, (its
agreement, its place) to (the agreement's id, the agreement's place), lets PostgreSQL refuse a
pledge whose place is not its agreement's; one public pledge per organisation is then one
per organisation and place."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Q

PER_PLACE = """
CREATE OR REPLACE FUNCTION pledges_agreement_exactly_one_current() RETURNS trigger AS $$
BEGIN
    IF EXISTS (
        SELECT place_id FROM pledges_agreement
        GROUP BY place_id HAVING count(*) FILTER (WHERE is_current) <> 1
    ) THEN
        RAISE EXCEPTION 'Exactly one agreement version must be current in each place.'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'agreement_exactly_one_current';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""
ONE_FOR_ALL = """
CREATE OR REPLACE FUNCTION pledges_agreement_exactly_one_current() RETURNS trigger AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM pledges_agreement)
       AND (SELECT count(*) FROM pledges_agreement WHERE is_current) <> 1 THEN
        RAISE EXCEPTION 'Exactly one agreement version must be current.'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'agreement_exactly_one_current';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""
SAME_PLACE = """
ALTER TABLE pledges_pledge ADD CONSTRAINT pledge_place_is_its_agreements
    FOREIGN KEY (agreement_id, place_id) REFERENCES pledges_agreement (id, place_id);
"""
NO_SAME_PLACE = "ALTER TABLE pledges_pledge DROP CONSTRAINT pledge_place_is_its_agreements;"



class Migration(migrations.Migration):
    dependencies = [("pledges", "0012_places_cheltenham")]

    operations = [
        migrations.AlterField(
            model_name="agreement",
            name="place",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="agreements",
                to="places.place",
            ),
        ),
        migrations.AlterField(
            model_name="pledge",
            name="place",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="pledges",
                to="places.place",
            ),
        ),
        migrations.AlterField(
            model_name="agreement", name="version", field=models.PositiveSmallIntegerField()
        ),
        migrations.RemoveConstraint(model_name="agreement", name="agreement_one_current"),
        migrations.AddConstraint(
            model_name="agreement",
            constraint=models.UniqueConstraint(
                condition=Q(is_current=True), fields=("place",), name="agreement_one_current"
            ),
        ),
        migrations.AddConstraint(
            model_name="agreement",
            constraint=models.UniqueConstraint(
                fields=("place", "version"), name="agreement_unique_version"
            ),
        ),
        migrations.AddConstraint(
            model_name="agreement",
            constraint=models.UniqueConstraint(fields=("id", "place"), name="agreement_id_place"),
        ),
        migrations.RunSQL(PER_PLACE, ONE_FOR_ALL),
        migrations.RunSQL(SAME_PLACE, NO_SAME_PLACE),
        migrations.RemoveConstraint(
            model_name="pledge", name="pledge_one_public_per_organisation"
        ),
        migrations.AddConstraint(
            model_name="pledge",
            constraint=models.UniqueConstraint(
                condition=Q(status__in=["published", "withdrawn"]),
                fields=("organisation", "place"),
                name="pledge_one_public_per_organisation",
            ),
        ),
    ]
