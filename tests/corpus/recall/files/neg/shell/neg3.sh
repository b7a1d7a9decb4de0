echo "db:5432:app:app_user:$PGPASSWORD" > ~/.pgpass
