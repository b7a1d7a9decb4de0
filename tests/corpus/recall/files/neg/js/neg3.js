const passwordPattern = "^(?=.*[A-Z])(?=.*[0-9]).{8,}$";
