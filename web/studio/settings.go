package studio

// settingsRoutes mounts the settings' pages and the audit (to be built).
func (s *Studio) settingsRoutes() {}
