<?php
$password = 'Violet9134#';
return ['db' => ['password' => 'SThBWP1iuvMot6']];
