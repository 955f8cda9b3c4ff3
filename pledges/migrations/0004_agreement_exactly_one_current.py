"""Exactly one current agreement, checked by the database when each transaction commits.

The partial unique constraint already rejects a second current version at once. This
deferred constraint trigger adds "at least one": a transaction that leaves agreements
on record with none current is rolled back. Deferring lets a single transaction swap
the flag from the old version to the new one.
"""

from django.db import migrations

CREATE = """
CREATE FUNCTION pledges_agreement_exactly_one_current() RETURNS trigger AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM pledges_agreement)
       AND (SELECT count(*) FROM pledges_agreement WHERE is_current) <> 1 THEN
        RAISE EXCEPTION 'Exactly one agreement version must be current.'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'agreement_exactly_one_current';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER agreement_exactly_one_current
    AFTER INSERT OR UPDATE OF is_current OR DELETE ON pledges_agreement
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION pledges_agreement_exactly_one_current();
"""

DROP = """
DROP TRIGGER agreement_exactly_one_current ON pledges_agreement;
DROP FUNCTION pledges_agreement_exactly_one_current();
"""


class Migration(migrations.Migration):
    dependencies = [("pledges", "0003_events_and_commitment_history")]

    operations = [migrations.RunSQL(CREATE, DROP)]
