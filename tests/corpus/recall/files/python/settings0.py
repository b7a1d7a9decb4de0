DATABASES = {
    'default': {
        'USER': 'reporting',
        'PASSWORD': 'KZxCKu7SPCz',
    }
}
