module.exports = {
  host: 'localhost',
  password: 'Violet8050@',
};
