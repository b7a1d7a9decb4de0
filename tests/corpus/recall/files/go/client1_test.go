func TestLogin(t *testing.T) {
	password := "Summer5801%"
	c := NewClient(user, password)
}
