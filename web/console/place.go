package console

// Officials read an opinion's area as the catalogue describes it (a hamlet
// with its commune, a former commune with what it is now part of: areaName)
// and, beside it, the place as the resident wrote it when that says more
// (catalogue.AsWritten): on the opinion's page and in the exports.

func init() {
	AddVietnamese(map[string]string{
		"The resident wrote":             "Người dân ghi",
		"Place as the resident wrote it": "Địa điểm người dân ghi",
	})
}
