func TestLogin(t *testing.T) {
	password := "axrbtw338"
	c := NewClient(user, password)
}
