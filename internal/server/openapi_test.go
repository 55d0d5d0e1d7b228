package server

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
)

// Every POST of the API documents its request body with a schema, and the
// JSON schemas list the fields the handlers decode.
func TestOpenAPIRequestBodies(t *testing.T) {
	e := newEnv(t, Config{})
	r := e.get("/api/v1/openapi.json")
	want(t, r, 200)
	var doc struct {
		Paths map[string]map[string]struct {
			RequestBody *struct {
				Content map[string]struct {
					Schema map[string]any `json:"schema"`
				} `json:"content"`
			} `json:"requestBody"`
		} `json:"paths"`
		Components struct {
			Schemas map[string]json.RawMessage `json:"schemas"`
		} `json:"components"`
	}
	r.json(t, &doc)
	posts := 0
	for path, ops := range doc.Paths {
		op, ok := ops["post"]
		if !ok {
			continue
		}
		posts++
		if op.RequestBody == nil || len(op.RequestBody.Content) == 0 {
			t.Errorf("POST %s has no request body", path)
			continue
		}
		for media, c := range op.RequestBody.Content {
			ref, _ := c.Schema["$ref"].(string)
			name := strings.TrimPrefix(ref, "#/components/schemas/")
			if ref == "" || doc.Components.Schemas[name] == nil {
				t.Errorf("POST %s (%s): no schema (%v)", path, media, c.Schema)
			}
		}
	}
	if posts < 7 {
		t.Errorf("only %d POST operations", posts)
	}
	var comp struct {
		Properties           map[string]map[string]any `json:"properties"`
		AdditionalProperties bool                      `json:"additionalProperties"`
	}
	if err := json.Unmarshal(doc.Components.Schemas["UncertaintyRequest"], &comp); err != nil {
		t.Fatal(err)
	}
	for field, typ := range map[string]string{"dataset": "string", "framework": "string", "normalisation": "string", "n": "integer", "seed": "integer", "spec": "string", "coinr": "object", "steps": "object"} {
		if comp.Properties[field]["type"] != typ {
			t.Errorf("UncertaintyRequest.%s: %v, want type %s", field, comp.Properties[field], typ)
		}
	}
	if comp.AdditionalProperties {
		t.Error("UncertaintyRequest allows unknown fields; the decoder refuses them")
	}
	// A request the schema describes is accepted as such.
	want(t, e.postJSON("/api/v1/strategy", `{"agglomeration":"BTH","scenario":{"domestic":"stable"}}`), 200)
}

// A wrong JSON type names the field and the JSON type wanted, never a Go
// type (server.scenarioRequest, composite.Steps, uint64).
func TestJSONTypeErrorsSpeakJSON(t *testing.T) {
	e := newEnv(t, Config{})
	goType := regexp.MustCompile(`\b[a-z]+\.[A-Za-z]+\b|\b(u?int\d*|float\d+|map\[|\[\]|struct)\b`)
	for _, c := range []struct {
		path, body, field, zh, en string
	}{
		{"/api/v1/strategy", `{"scenario":"x"}`, "scenario", "对象", "an object"},
		{"/api/v1/composite", `{"steps":[1]}`, "steps", "对象", "an object"},
		{"/api/v1/uncertainty", `{"seed":"one"}`, "seed", "整数", "an integer"},
		{"/api/v1/composite", `{"framework":3}`, "framework", "字符串", "a string"},
		{"/api/v1/strategy", `{"save":"yes"}`, "save", "布尔值", "true or false"},
	} {
		for _, lang := range []string{"zh", "en"} {
			r := e.postJSON(c.path+"?lang="+lang, c.body)
			want(t, r, 400)
			eb := r.errBody(t)
			if eb.Field != c.field {
				t.Errorf("%s %s: field %q, want %q", c.path, c.body, eb.Field, c.field)
			}
			wantText := c.zh
			if lang == "en" {
				wantText = c.en
			}
			if !strings.Contains(eb.Message, wantText) || goType.MatchString(eb.Message) {
				t.Errorf("%s %s (%s): %q", c.path, c.body, lang, eb.Message)
			}
		}
	}
}
