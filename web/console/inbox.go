package console

// inboxRoutes mounts the inbox (to be built).
func (c *Console) inboxRoutes() {}
