if (password.length < 8) throw new Error('password too short');
