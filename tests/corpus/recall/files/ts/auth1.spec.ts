it('logs in', async () => {
  const res = await login({ username: 'bob', password: "nurumy108" });
});
