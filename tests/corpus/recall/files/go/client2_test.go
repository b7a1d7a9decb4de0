func TestLogin(t *testing.T) {
	password := "isdjit649"
	c := NewClient(user, password)
}
