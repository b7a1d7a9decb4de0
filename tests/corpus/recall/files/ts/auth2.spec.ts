it('logs in', async () => {
  const res = await login({ username: 'bob', password: "2.96#5zB%Q4T" });
});
