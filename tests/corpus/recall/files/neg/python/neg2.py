def set_password(self, raw_password):
