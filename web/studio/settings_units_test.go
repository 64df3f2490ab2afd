package studio_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"langnghe"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

// pageForm returns what a browser posts for the page's form with the
// given action, untouched: its inputs (checkboxes when checked) and each
// select's chosen option.
func pageForm(t *testing.T, page, action string) url.Values {
	t.Helper()
	m := regexp.MustCompile(`(?s)<form method="post" action="` + regexp.QuoteMeta(action) + `"[^>]*>(.*?)</form>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no form for %s in the page", action)
	}
	attr := func(tag, name string) (string, bool) {
		a := regexp.MustCompile(`\s` + name + `(?:="([^"]*)")?`).FindStringSubmatch(tag)
		if a == nil {
			return "", false
		}
		return html.UnescapeString(a[1]), true
	}
	v := url.Values{}
	for _, tag := range regexp.MustCompile(`<input[^>]*>`).FindAllString(m[1], -1) {
		name, _ := attr(tag, "name")
		value, _ := attr(tag, "value")
		typ, _ := attr(tag, "type")
		if _, checked := attr(tag, "checked"); name == "" || typ == "checkbox" && !checked {
			continue
		}
		v.Add(name, value)
	}
	for _, ta := range regexp.MustCompile(`(?s)<textarea[^>]*name="([^"]+)"[^>]*>\n?(.*?)</textarea>`).FindAllStringSubmatch(m[1], -1) {
		v.Add(ta[1], html.UnescapeString(ta[2]))
	}
	for _, sel := range regexp.MustCompile(`(?s)<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>`).FindAllStringSubmatch(m[1], -1) {
		// Without a selected option a browser posts the first.
		chosen := ""
		for i, opt := range regexp.MustCompile(`<option value="([^"]*)"( selected)?>`).FindAllStringSubmatch(sel[2], -1) {
			if i == 0 || opt[2] != "" {
				chosen = html.UnescapeString(opt[1])
			}
		}
		v.Set(sel[1], chosen)
	}
	return v
}

// unitsForm opens the units form and returns the page and its fields.
func (f *settingsFixture) unitsForm(t *testing.T) (string, url.Values) {
	t.Helper()
	status, page := f.get(t, "/console/studio/settings/units/form")
	if status != http.StatusOK {
		t.Fatalf("the units form = %d %s", status, page)
	}
	return page, pageForm(t, page, "/console/studio/settings/units/form")
}

// fieldOf names the form field of unit code's field (hotline, vi, ...).
func fieldOf(t *testing.T, form url.Values, code, field string) string {
	t.Helper()
	for name, v := range form {
		if prefix, ok := strings.CutSuffix(name, ".code"); ok && strings.HasPrefix(name, "unit.") && v[0] == code {
			return prefix + "." + field
		}
	}
	t.Fatalf("no unit %s in the form", code)
	return ""
}

// An admin gives a commune's People's Committee a hotline in the form:
// it is saved into the units file (the YAML view shows it, and nothing
// else moved), applies at once (an emergency in the commune is given it),
// and is audited as an edit in the form.
func TestUnitsFormSaves(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newSettingsFixture(t, db)
		ctx := context.Background()
		before, _ := f.editor(t, "units")
		page, form := f.unitsForm(t)
		for _, want := range []string{"UBND xã Dầu Tiếng", "Đường dây nóng", `<code class="key">hotline</code>`, `id="view-yaml"`,
			"Nhận cảnh báo ngay về mọi tình huống khẩn cấp", "mọi lĩnh vực", "Chuyển đến"} {
			if !strings.Contains(page, want) {
				t.Errorf("the form lacks %q", want)
			}
		}
		// Posted untouched, the form saves nothing.
		status, _, loc := f.post(t, "/console/studio/settings/units/form", form)
		if status != http.StatusSeeOther || loc != "/console/studio/settings/units/form?unchanged=1" {
			t.Fatalf("the untouched form = %d %s, want nothing to save", status, loc)
		}
		form.Set(fieldOf(t, form, "ubnd_dau_tieng", "hotline"), "0274 3561 234")
		status, body, loc := f.post(t, "/console/studio/settings/units/form", form)
		if status != http.StatusSeeOther || loc != "/console/studio/settings/units/form?saved=1" {
			t.Fatalf("save = %d %s\n%s", status, loc, body)
		}
		// In the YAML, one line more.
		after, _ := f.editor(t, "units")
		if want := strings.Replace(before, "  - code: ubnd_dau_tieng\n    names:\n      en: Dầu Tiếng Commune People's Committee\n      vi: UBND xã Dầu Tiếng\n",
			"  - code: ubnd_dau_tieng\n    names:\n      en: Dầu Tiếng Commune People's Committee\n      vi: UBND xã Dầu Tiếng\n    hotline: 0274 3561 234\n", 1); after != want || after == before {
			t.Errorf("the units file after the save:\n%s", after)
		}
		// In effect: residents of Dầu Tiếng are given it.
		var hotline string
		err := db.InTx(ctx, func(tx *storage.Tx) (err error) {
			hotline, err = f.followup.Hotline(ctx, tx, "dau_tieng")
			return err
		})
		if err != nil || hotline != "0274 3561 234" {
			t.Errorf("the hotline for Dầu Tiếng = %q %v", hotline, err)
		}
		audit, err := db.Audit(ctx, langnghe.AuditQuery{Kind: langnghe.AuditUnits})
		if err != nil || len(audit) != 1 || audit[0].Action != "form" || audit[0].Actor != fmt.Sprintf("official:%d", f.admin) {
			t.Errorf("units audit = %+v %v, want the one form save by the admin", audit, err)
		}
		if _, page := f.get(t, "/console/studio/settings/units/form?saved=1"); !strings.Contains(page, "Đã lưu và áp dụng") ||
			!strings.Contains(page, "Đã sửa bằng biểu mẫu") {
			t.Error("the form does not say it saved, or its recent changes lack the save")
		}
		// The settings' index opens the form; the YAML links back to it.
		if _, index := f.get(t, "/console/studio/settings/"); !strings.Contains(index, `href="/console/studio/settings/units/form"`) {
			t.Error("the settings' index does not open the units form")
		}
		if _, yaml := f.get(t, "/console/studio/settings/units"); !strings.Contains(yaml, `href="/console/studio/settings/units/form"`) {
			t.Error("the YAML editor does not link to the form")
		}
	})
}

// Refused fields come back with a Vietnamese message beside each and the
// admin's values; nothing is stored. A form opened before someone else's
// save is refused with the values kept.
func TestUnitsFormRefuses(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newSettingsFixture(t, db)
		_, form := f.unitsForm(t)
		stale := url.Values{}
		for k, v := range form {
			stale[k] = append([]string(nil), v...)
		}
		before := f.state(t)
		form.Set(fieldOf(t, form, "police", "hotline"), "gọi 113")
		form.Set("new.code", "police")
		form.Set("new.vi", "Công an xã (mới)")
		form.Set("rule.1.unit", "no_such_unit")
		status, page, _ := f.post(t, "/console/studio/settings/units/form", form)
		if status != http.StatusBadRequest {
			t.Fatalf("a form with bad fields = %d, want 400", status)
		}
		for _, want := range []string{"Chưa lưu gì cả. Xin vui lòng sửa các trường được đánh dấu bên dưới.",
			"“gọi 113” không phải là số điện thoại", "Mã “police” đã thuộc về một đơn vị khác",
			"Không có đơn vị “no_such_unit”: xin chọn một đơn vị trong danh sách.",
			`value="gọi 113" type="tel" inputmode="tel" aria-invalid="true"`, ">\nCông an xã (mới)</textarea>",
			`<option value="no_such_unit" selected>`} {
			if !strings.Contains(page, html.EscapeString(want)) && !strings.Contains(page, want) {
				t.Errorf("the refused form lacks %q", want)
			}
		}
		if after := f.state(t); after != before {
			t.Errorf("a refused form changed something: %+v, was %+v", after, before)
		}
		// Someone saves; the form opened before is refused, its edit kept.
		_, fresh := f.unitsForm(t)
		fresh.Set(fieldOf(t, fresh, "police", "hotline"), "113")
		if status, _, _ := f.post(t, "/console/studio/settings/units/form", fresh); status != http.StatusSeeOther {
			t.Fatalf("save = %d", status)
		}
		stale.Set(fieldOf(t, stale, "medical_centre", "hotline"), "0274 3822 115")
		status, page, _ = f.post(t, "/console/studio/settings/units/form", stale)
		if status != http.StatusConflict || !strings.Contains(page, "đã được người khác thay đổi") || !strings.Contains(page, `value="0274 3822 115"`) {
			t.Errorf("a stale form = %d, want 409 with the edit kept", status)
		}
		units, err := db.Units(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range units {
			if want := map[string]string{"police": "113"}[u.Code]; u.Hotline != want {
				t.Errorf("unit %s's hotline = %q, want %q", u.Code, u.Hotline, want)
			}
		}
	})
}
