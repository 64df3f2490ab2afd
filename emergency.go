package langnghe

import (
	"time"

	"langnghe/wording"
)

// EmergencyKind says which emergency number fits: residents are told that
// number first.
type EmergencyKind string

const (
	EmergencyFire    EmergencyKind = "fire"    // 114: fire and rescue (drowning too)
	EmergencyMedical EmergencyKind = "medical" // 115: ambulance
	EmergencyCrime   EmergencyKind = "crime"   // 113: police
	EmergencyRescue  EmergencyKind = "rescue"  // 112: search and rescue
	EmergencyUnknown EmergencyKind = "unknown" // a call for help that does not say what: every number
)

// Emergency is a resident's report of danger happening now (a fire, a
// drowning, violence in progress). It is not an opinion to queue: the
// resident is pointed to the emergency numbers at once, the report is kept,
// and the unit designated for emergencies is alerted until someone
// acknowledges it.
type Emergency struct {
	ID         int64         `json:"id" db:"id"`
	ResidentID *int64        `json:"resident_id,omitempty" db:"resident_id"` // nil once personal data is deleted
	Channel    string        `json:"channel" db:"channel"`
	Kind       EmergencyKind `json:"kind" db:"kind"`
	Text       string        `json:"text" db:"text"`
	AreaCode   string        `json:"area,omitempty" db:"area_code"` // the conversation's area, when known
	Unit       string        `json:"unit,omitempty" db:"unit_code"` // the unit alerted
	At         time.Time     `json:"at" db:"at"`
	// AcknowledgedAt and AcknowledgedBy are set when an official of the
	// unit (or the board) has taken it in.
	AcknowledgedAt *time.Time `json:"acknowledged_at,omitempty" db:"acknowledged_at"`
	AcknowledgedBy *int64     `json:"acknowledged_by,omitempty" db:"acknowledged_by"`
}

// Name is the kind as officials read it in lang (the catalogue's
// emergency.kind.*); an unknown kind is its code.
func (k EmergencyKind) Name(lang string) string {
	if key := "emergency.kind." + string(k); wording.Has(key) {
		return wording.Text(lang, key)
	}
	return string(k)
}
