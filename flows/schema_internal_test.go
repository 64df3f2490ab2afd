package flows

import (
	"encoding/json"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// TestSchemaMatchesFormat keeps flow.schema.json honest: each object in it
// lists exactly the fields the loader knows.
func TestSchemaMatchesFormat(t *testing.T) {
	data, err := os.ReadFile("schema/flow.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	type object struct {
		Properties map[string]json.RawMessage `json:"properties"`
	}
	var schema struct {
		object
		Defs map[string]object `json:"$defs"`
	}
	if err := json.Unmarshal(data, &schema); err != nil {
		t.Fatalf("schema is not JSON: %v", err)
	}
	for name, typ := range map[string]reflect.Type{
		"": reflect.TypeFor[rawFlow](), "node": reflect.TypeFor[rawNode](), "action": reflect.TypeFor[rawAction](),
		"ask": reflect.TypeFor[rawAsk](), "option": reflect.TypeFor[rawOption](), "router": reflect.TypeFor[rawRouter](),
		"case": reflect.TypeFor[rawCase](), "classify": reflect.TypeFor[rawClassify](),
	} {
		props := schema.Properties
		if name != "" {
			props = schema.Defs[name].Properties
		}
		var fields []string
		for i := range typ.NumField() {
			if tag, _, _ := strings.Cut(typ.Field(i).Tag.Get("yaml"), ","); tag != "" {
				fields = append(fields, tag)
			}
		}
		slices.Sort(fields)
		if got := sortedKeys(props); !slices.Equal(got, fields) {
			t.Errorf("schema %q has %v; the loader knows %v", name, got, fields)
		}
	}
}
