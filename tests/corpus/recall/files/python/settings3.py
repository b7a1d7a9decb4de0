DATABASES = {
    'default': {
        'USER': 'ci',
        'PASSWORD': 'QjMyeOGma+Prw',
    }
}
