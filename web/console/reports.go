package console

// reportRoutes mounts the reports and exports (to be built).
func (c *Console) reportRoutes() {}
