docker run -d -e MYSQL_ROOT_PASSWORD=HETA5980ear -p 3306:3306 mysql:8
docker login -u bot -p ecrykr701 registry.acme.io
mysqladmin -u root --password Quartz3428@ status
