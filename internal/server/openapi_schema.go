package server

import (
	"reflect"
	"strings"

	"agglo/internal/i18n"
)

// requestSchemas are the JSON request bodies of the API, by the component
// name the OpenAPI document gives them. Their schemas are derived from the
// types the handlers decode, so that the document cannot drift from the
// decoder (which refuses unknown fields: additionalProperties is false).
func requestSchemas() map[string]any {
	return map[string]any{
		"CompositeRequest":   schemaOf(reflect.TypeFor[compositeRequest](), "A composite index: a framework and a dataset, or COINr tables; the method fields are written as the command line's flags (\"zscore:10,1\", \"geometric\") and replace the framework's methods at every level."),
		"AuditRequest":       schemaOf(reflect.TypeFor[auditRequest](), "A composite request with the number of strengths and weaknesses per unit (top)."),
		"UncertaintyRequest": schemaOf(reflect.TypeFor[uncertaintyRequest](), "A composite request with the Monte Carlo settings: n runs (default 1000), seed (default 1) and an optional YAML spec; the same request gives the same ranks as agglo index uncertainty --n N --seed S."),
		"StrategyRequest":    schemaOf(reflect.TypeFor[strategyRequest](), "Strategies of one agglomeration (or all) under a scenario; omitted scenario keys take the paper's baseline."),
		"DatasetUpload": map[string]any{"type": "object", "required": []string{"file"}, "properties": map[string]any{
			"file": map[string]any{"type": "string", "format": "binary", "description": "CSV or XLSX file"},
			"name": map[string]any{"type": "string", "description": "a name for the dataset"},
		}},
		"YAMLText": map[string]any{"type": "string", "description": "YAML text"},
		"AgglomerationSetUpload": map[string]any{"type": "object", "required": []string{"file"}, "properties": map[string]any{
			"file": map[string]any{"type": "string", "format": "binary", "description": "CSV or YAML membership file (code, name_zh, name_en, member, partial, core)"},
			"name": map[string]any{"type": "string", "description": "a name for the set"},
		}},
	}
}

// bodySchemas maps an operation's path to its request body component.
var bodySchemas = map[string]string{
	"/api/v1/composite":       "CompositeRequest",
	"/api/v1/composite/audit": "AuditRequest",
	"/api/v1/uncertainty":     "UncertaintyRequest",
	"/api/v1/strategy":        "StrategyRequest",
	"/api/v1/datasets":        "DatasetUpload",
	"/api/v1/frameworks":      "YAMLText",
	"/api/v1/rulebooks":       "YAMLText",

	"/api/v1/agglomeration-sets": "AgglomerationSetUpload",
}

// schemaOf describes t as a JSON schema following its json tags: embedded
// structs are merged, pointers unwrapped, maps become objects with
// additionalProperties.
func schemaOf(t reflect.Type, description string) map[string]any {
	s := schemaType(t, 0)
	if description != "" {
		s["description"] = description
	}
	return s
}

func schemaType(t reflect.Type, depth int) map[string]any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if depth > 8 {
		return map[string]any{}
	}
	switch t.Kind() {
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.Slice, reflect.Array:
		return map[string]any{"type": "array", "items": schemaType(t.Elem(), depth+1)}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": schemaType(t.Elem(), depth+1)}
	case reflect.Struct:
		props := map[string]any{}
		addFields(t, props, depth)
		return map[string]any{"type": "object", "properties": props, "additionalProperties": false}
	}
	return map[string]any{}
}

func addFields(t reflect.Type, props map[string]any, depth int) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			ft := f.Type
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				addFields(ft, props, depth)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		props[name] = schemaType(f.Type, depth+1)
	}
}

// jsonTypeName names the JSON type a Go type decodes from (string, number,
// object ...), for error messages that must not show Go type names.
func jsonTypeName(t reflect.Type) i18n.Text {
	kind := "value"
	if t != nil {
		if s, ok := schemaType(t, 8)["type"].(string); ok {
			kind = s
		}
	}
	switch kind {
	case "string":
		return i18n.T("字符串", "a string")
	case "integer":
		return i18n.T("整数", "an integer")
	case "number":
		return i18n.T("数字", "a number")
	case "boolean":
		return i18n.T("布尔值（true 或 false）", "true or false")
	case "array":
		return i18n.T("数组", "an array")
	case "object":
		return i18n.T("对象（{…}）", "an object ({…})")
	}
	return i18n.T("其他类型", "another type")
}
