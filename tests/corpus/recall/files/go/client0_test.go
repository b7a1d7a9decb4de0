func TestLogin(t *testing.T) {
	password := "Summer910#"
	c := NewClient(user, password)
}
