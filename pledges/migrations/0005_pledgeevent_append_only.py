"""The pledge audit trail is append-only, enforced by PostgreSQL.

The one change allowed is the one Django makes when an account is deleted: the actor
becomes NULL (on_delete=SET_NULL), and everything else about the event stays.
"""

from django.db import migrations

FORWARD = """
CREATE FUNCTION pledges_pledgeevent_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND NEW.actor_id IS NULL
       AND NEW.id = OLD.id
       AND NEW.pledge_id = OLD.pledge_id
       AND NEW.action = OLD.action
       AND NEW.reason = OLD.reason
       AND NEW.created_at = OLD.created_at THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'pledge events are append-only: % refused', TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER pledges_pledgeevent_append_only
BEFORE UPDATE OR DELETE ON pledges_pledgeevent
FOR EACH ROW EXECUTE FUNCTION pledges_pledgeevent_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS pledges_pledgeevent_append_only ON pledges_pledgeevent;
DROP FUNCTION IF EXISTS pledges_pledgeevent_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("pledges", "0004_agreement_exactly_one_current")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
