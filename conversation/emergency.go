package conversation

import (
	"errors"
	"fmt"

	"langnghe"
)

// emergencyReported stores the emergency the engine recognised and has the
// desk alert the unit designated for emergencies, in this turn's
// transaction. The replies queued so far (the emergency numbers first) are
// written before anything the desk queues, so the resident's numbers take
// the lower ids and leave first. Without a desk the emergency is still
// stored: the console shows it and reports count it.
func (t *turn) emergencyReported(e *langnghe.Emergency) error {
	if e == nil {
		return errors.New("emergency event without an emergency")
	}
	if err := t.flush(); err != nil {
		return err
	}
	e.Channel = t.in.Channel
	var resident int64
	if t.resident != nil && t.resident.ID != 0 {
		resident = t.resident.ID
		e.ResidentID = &resident
	}
	if e.At.IsZero() {
		e.At = t.in.Input.At
	}
	if err := t.tx.RecordEmergency(t.ctx, e); err != nil {
		return fmt.Errorf("record emergency: %w", err)
	}
	t.s.log.Warn("emergency reported", "emergency", e.ID, "kind", e.Kind, "area", e.AreaCode, "resident", resident)
	if t.s.opts.Desk == nil {
		return nil
	}
	if err := t.s.opts.Desk.EmergencyReported(t.ctx, t.tx, e); err != nil {
		return fmt.Errorf("alert of emergency %d: %w", e.ID, err)
	}
	return nil
}
