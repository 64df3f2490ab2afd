package conversation

// SetTransactions sets how many transactions apply inputs at once, so that
// a test can make inputs wait and be applied together.
func SetTransactions(s *Service, n int) { s.batches.limit = n }

// Waiting is how many inputs wait for a transaction.
func Waiting(s *Service) int {
	s.batches.mu.Lock()
	defer s.batches.mu.Unlock()
	return len(s.batches.waiting)
}

// WaitFor is the internal tests' waitFor, for the external ones.
var WaitFor = waitFor
