package studio

// flowRoutes mounts the flows' pages (to be built).
func (s *Studio) flowRoutes() {}
