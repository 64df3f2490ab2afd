package flows

// lookUpFAQ answers the question under key from the FAQ; the answer is
// kept for the messages that follow ({{.faq}}).
func (t *turn) lookUpFAQ(key string) string {
	t.s.FAQ = ""
	if t.env.FAQ == nil {
		return OutcomeNone
	}
	answer, ok := t.env.FAQ(t.s.Language, t.s.Answers[key])
	if !ok || answer == "" {
		return OutcomeNone
	}
	t.s.FAQ = answer
	return OutcomeAnswered
}
