package open311

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"strings"

	"langnghe"
)

// service is one catalogue category as an Open311 service.
type service struct {
	ServiceCode string `json:"service_code" xml:"service_code"`
	ServiceName string `json:"service_name" xml:"service_name"`
	Description string `json:"description" xml:"description"`
	// Metadata is true for every service: each asks where the problem is
	// (the area attribute of its definition).
	Metadata bool   `json:"metadata" xml:"metadata"`
	Type     string `json:"type" xml:"type"`
	Keywords string `json:"keywords" xml:"keywords"`
	Group    string `json:"group" xml:"group"`
}

// maxKeywords keeps the keywords a service shows to the ones that say most:
// the catalogue's list feeds the classifier and runs to dozens.
const maxKeywords = 5

// services lists the categories (GET services.{fmt}). Emergency categories
// are left out: they point to the emergency numbers and queue nothing.
func (a *API) services(w http.ResponseWriter, r *http.Request, format string) {
	lang := language(r)
	list := newList[service]("services", "service")
	for _, c := range a.opts.Catalogue.Categories {
		if c.Emergency {
			continue
		}
		kw := c.Keywords
		if len(kw) > maxKeywords {
			kw = kw[:maxKeywords]
		}
		list.items = append(list.items, service{
			ServiceCode: c.Code,
			ServiceName: c.Name(lang),
			Description: fmt.Sprintf(say(lang, "open311.service_description"), c.Name(lang), c.ServiceDays),
			Metadata:    true,
			Type:        "batch", // an official answers later; nothing is resolved on the spot
			Keywords:    strings.Join(kw, ", "),
			Group:       say(lang, "open311.service_group"),
		})
	}
	a.write(w, http.StatusOK, format, list)
}

// attributeArea is the one structured question every category asks: where.
const attributeArea = "area"

type serviceDefinition struct {
	XMLName     xml.Name    `json:"-" xml:"service_definition"`
	ServiceCode string      `json:"service_code" xml:"service_code"`
	Attributes  []attribute `json:"attributes" xml:"attributes>attribute"`
}

type attribute struct {
	Variable            bool    `json:"variable" xml:"variable"`
	Code                string  `json:"code" xml:"code"`
	Datatype            string  `json:"datatype" xml:"datatype"`
	Required            bool    `json:"required" xml:"required"`
	DatatypeDescription string  `json:"datatype_description" xml:"datatype_description"`
	Order               int     `json:"order" xml:"order"`
	Description         string  `json:"description" xml:"description"`
	Values              []value `json:"values" xml:"values>value"`
}

type value struct {
	Key  string `json:"key" xml:"key"`
	Name string `json:"name" xml:"name"`
}

// serviceDefinition describes a category's questions (GET
// services/{code}.{fmt}): the area, a list of the active areas. POST takes
// it as attribute[area]=CODE.
func (a *API) serviceDefinition(w http.ResponseWriter, r *http.Request) {
	code, format, ok := splitFormat(r.PathValue("file"))
	if !ok {
		a.fail(w, r, format, langnghe.Errorf(langnghe.ENOTFOUND, "unknown format: use .json or .xml"))
		return
	}
	cat, found := a.category(code)
	if !found {
		a.fail(w, r, format, langnghe.Errorf(langnghe.ENOTFOUND, "no service %q", code))
		return
	}
	lang := language(r)
	area := attribute{
		Variable:            true,
		Code:                attributeArea,
		Datatype:            "singlevaluelist",
		DatatypeDescription: say(lang, "open311.area_code"),
		Order:               1,
		Description:         say(lang, "open311.area_question"),
		Values:              []value{},
	}
	for _, ar := range a.opts.Catalogue.Areas {
		if ar.Active {
			area.Values = append(area.Values, value{Key: ar.Code, Name: ar.Name(lang)})
		}
	}
	a.write(w, http.StatusOK, format, serviceDefinition{ServiceCode: cat.Code, Attributes: []attribute{area}})
}

// category is the non-emergency category with code.
func (a *API) category(code string) (langnghe.Category, bool) {
	c, ok := a.opts.Catalogue.Category(code)
	return c, ok && !c.Emergency
}
