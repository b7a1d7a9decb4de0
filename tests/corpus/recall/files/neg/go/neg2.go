Password string `json:"password" yaml:"password"`
