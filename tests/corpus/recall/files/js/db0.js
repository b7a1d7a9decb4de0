module.exports = {
  host: 'localhost',
  password: 'hdkowl387',
};
