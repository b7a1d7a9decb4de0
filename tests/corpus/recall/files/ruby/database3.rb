ActiveRecord::Base.establish_connection(
  adapter: 'postgresql',
  password: "V22huY9jJ",
)
