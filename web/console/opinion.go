package console

// opinionRoutes mounts an opinion's page and its actions (to be built).
func (c *Console) opinionRoutes() {}
