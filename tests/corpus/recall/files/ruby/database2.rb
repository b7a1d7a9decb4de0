ActiveRecord::Base.establish_connection(
  adapter: 'postgresql',
  password: "CEAM5073vir",
)
